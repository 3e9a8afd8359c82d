// While a board pack is being made, ask for its progress every few seconds and show it;
// reload the page when the pack is ready or has failed. Without JavaScript, the page has a
// link to check again.
const region = document.querySelector("[data-pack-status]");

if (region) {
  const bar = document.querySelector("progress.portal-progress");
  const poll = async () => {
    try {
      const response = await fetch(region.dataset.packStatus, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const pack = await response.json();
        if (pack.finished) {
          window.location.reload();
          return;
        }
        region.textContent = `${pack.stage}: ${pack.progress}% done.`;
        if (bar) bar.value = pack.progress;
      }
    } catch {
      // The network dropped: try again at the next tick.
    }
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 3000);
}
