// Explorers on the website (infoloss.explorers.site): every control picks one of the frames
// rendered at build time. The page loads its opening frame; the others load when a control
// reaches them, and the neighbours of the current frame are prefetched.
(() => {
  "use strict";

  function setUp(root) {
    const spec = JSON.parse(root.dataset.explorer);
    const img = root.querySelector("img.ie-frame");
    const inputs = [...root.querySelectorAll("input[data-param]")];
    const play = root.querySelector("button.ie-play");
    const state = spec.start.slice();
    const loaded = new Map();  // url -> Image, kept so the browser keeps them decoded
    let timer = null, warmed = false;

    const url = (idx) => spec.base + idx.join("_") + ".png";
    const fetchFrame = (idx) => {
      const u = url(idx);
      if (!loaded.has(u)) {
        const image = new Image();
        image.src = u;
        loaded.set(u, image);
      }
      return u;
    };
    const prefetchNeighbours = () => {
      spec.params.forEach((p, k) => {
        for (const step of [-1, 1]) {
          const j = state[k] + step;
          if (j >= 0 && j < p.values.length) {
            const idx = state.slice();
            idx[k] = j;
            fetchFrame(idx);
          }
        }
      });
    };
    const describe = () => spec.params.map((p, k) => `${p.label} = ${p.values[state[k]]}`).join(", ");

    function show() {
      img.src = fetchFrame(state);
      img.alt = `${spec.title} ${describe()}`;
      for (const input of inputs) {
        const k = Number(input.dataset.param), p = spec.params[k];
        if (input.type === "range") {
          input.value = String(state[k]);
          input.setAttribute("aria-valuetext", `${p.label} = ${p.values[state[k]]}`);
          const out = root.querySelector(`output[for="${input.id}"]`);
          if (out) out.textContent = p.values[state[k]];
        } else {
          input.checked = Number(input.value) === state[k];
        }
      }
      prefetchNeighbours();
    }

    for (const input of inputs) {
      const k = Number(input.dataset.param);
      input.addEventListener(input.type === "range" ? "input" : "change", () => {
        if (input.type === "radio" && !input.checked) return;
        state[k] = Number(input.value);
        show();
      });
    }
    const warm = () => { if (!warmed) { warmed = true; prefetchNeighbours(); } };
    root.addEventListener("pointerenter", warm);
    root.addEventListener("focusin", warm);
    root.addEventListener("touchstart", warm, {passive: true});

    const stop = () => {
      clearInterval(timer);
      timer = null;
      play.setAttribute("aria-pressed", "false");
      play.textContent = "▶";
    };
    play.addEventListener("click", () => {
      if (timer !== null) return stop();
      const last = spec.params[0].values.length - 1;
      if (state[0] === last) state[0] = 0;
      play.setAttribute("aria-pressed", "true");
      play.textContent = "❚❚";
      show();
      timer = setInterval(() => {
        if (state[0] >= last) return stop();
        state[0] += 1;
        show();
      }, 180);
    });
  }

  const start = () => document.querySelectorAll(".infoloss-explorer").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
