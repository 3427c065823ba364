"""infoloss.buildcache: the notebook execution cache is cleared when the library changes."""
from types import SimpleNamespace

from infoloss.buildcache import STAMP, clear_stale_cache, fingerprint


def run(tmp_path):
    app = SimpleNamespace(outdir=str(tmp_path / "_build" / "html"))
    clear_stale_cache(app, SimpleNamespace(nb_execution_cache_path=""))
    return tmp_path / "_build" / ".jupyter_cache"


def test_a_cache_made_by_another_library_is_cleared(tmp_path):
    cache = tmp_path / "_build" / ".jupyter_cache"
    (cache / "executed").mkdir(parents=True)
    (cache / STAMP).write_text("an older library")
    assert not (run(tmp_path) / "executed").exists()
    assert (cache / STAMP).read_text() == fingerprint()


def test_a_cache_of_this_library_is_kept(tmp_path):
    cache = run(tmp_path)
    (cache / "executed").mkdir()
    assert (run(tmp_path) / "executed").exists()


def test_a_cache_without_a_stamp_is_cleared(tmp_path):
    cache = tmp_path / "_build" / ".jupyter_cache"
    (cache / "executed").mkdir(parents=True)
    assert not (run(tmp_path) / "executed").exists()
