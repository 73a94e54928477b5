// The report page's only script (inline; the page is complete without it): the values under the pointer on a
// chart, a click on a legend entry hides or shows that run everywhere, and "only differing fields" filters the
// configuration table. It marks <body data-script="ok" data-runs="N"> when it ran, data-script-error when it failed.

export const REPORT_SCRIPT = String.raw`(function () {
  var body = document.body;
  try {
    var data = JSON.parse(document.getElementById('gloss-report-data').textContent);
    var tip = document.createElement('div');
    tip.className = 'tip';
    body.appendChild(tip);
    var fmt = function (v) { return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-2) ? v.toPrecision(3) : String(Number(v.toPrecision(4))); };

    document.querySelectorAll('.legend button[data-run]').forEach(function (b) {
      b.addEventListener('click', function () {
        var off = b.classList.toggle('off');
        b.setAttribute('aria-pressed', off ? 'false' : 'true');
        document.querySelectorAll('svg [data-run="' + b.getAttribute('data-run') + '"]').forEach(function (el) {
          el.style.display = off ? 'none' : '';
        });
      });
    });

    var only = document.getElementById('only-differing');
    if (only) only.addEventListener('change', function () {
      document.getElementById('config').classList.toggle('only-differing', only.checked);
    });

    document.querySelectorAll('figure.chart svg').forEach(function (svg) {
      var d = svg.dataset;
      var x0 = +d.x0, x1 = +d.x1, left = +d.left, right = +d.right, scale = +d.xScale;
      var width = +svg.getAttribute('width');
      var cursor = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      cursor.setAttribute('class', 'cursor');
      cursor.setAttribute('y1', d.top);
      cursor.setAttribute('y2', d.bottom);
      svg.appendChild(cursor);
      svg.addEventListener('mousemove', function (ev) {
        var box = svg.getBoundingClientRect();
        var sx = (ev.clientX - box.left) * width / box.width;
        var x = x0 + (sx - left) / (right - left) * (x1 - x0);
        var lines = [];
        svg.querySelectorAll('polyline.series').forEach(function (pl) {
          if (pl.style.display === 'none') return;
          var best = null;
          JSON.parse(pl.dataset.values).forEach(function (p) {
            if (best === null || Math.abs(p[0] / scale - x) < Math.abs(best[0] / scale - x)) best = p;
          });
          if (best) lines.push(pl.dataset.label + ': ' + fmt(best[1]) + '  (' + d.xLabel + ' ' + fmt(best[0] / scale) + ')');
        });
        if (lines.length === 0 || sx < left || sx > right) { tip.style.display = 'none'; cursor.style.display = 'none'; return; }
        cursor.setAttribute('x1', sx);
        cursor.setAttribute('x2', sx);
        cursor.style.display = '';
        tip.textContent = lines.join('\n');
        tip.style.display = 'block';
        tip.style.left = (ev.pageX + 14) + 'px';
        tip.style.top = (ev.pageY + 14) + 'px';
      });
      svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; cursor.style.display = 'none'; });
    });
    body.setAttribute('data-runs', String(data.runs.length));
    body.setAttribute('data-script', 'ok');
  } catch (e) {
    body.setAttribute('data-script-error', String(e && e.message || e));
  }
})();`;
