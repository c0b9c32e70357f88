// A two-line chart of messages per second on a canvas: no library, redrawn on each new sample.
'use strict';
window.ThroughputChart = class ThroughputChart {
  constructor(canvas, seconds) {
    this.canvas = canvas;
    this.seconds = seconds;
    this.inSeries = [];
    this.outSeries = [];
  }

  reset(inSeries, outSeries) {
    this.inSeries = inSeries.slice(-this.seconds);
    this.outSeries = outSeries.slice(-this.seconds);
    this.draw();
  }

  push(messagesIn, messagesOut) {
    this.inSeries.push(messagesIn);
    this.outSeries.push(messagesOut);
    if (this.inSeries.length > this.seconds) { this.inSeries.shift(); this.outSeries.shift(); }
    this.draw();
  }

  draw() {
    const c = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const w = c.clientWidth || c.width;
    const h = c.clientHeight || c.height;
    if (c.width !== Math.round(w * ratio)) { c.width = Math.round(w * ratio); c.height = Math.round(h * ratio); }
    const g = c.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);
    const max = Math.max(1, ...this.inSeries, ...this.outSeries);
    const top = Math.max(4, niceCeiling(max));
    g.strokeStyle = '#e1e4e8';
    g.fillStyle = '#6a737d';
    g.font = '11px system-ui, sans-serif';
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = 8 + (h - 24) * i / 4;
      g.beginPath(); g.moveTo(40, y); g.lineTo(w, y); g.stroke();
      g.fillText(String(Math.round(top * (4 - i) / 4)), 2, y + 4);
    }
    g.fillText('-5 min', 40, h - 2);
    g.fillText('now', w - 24, h - 2);
    this.line(g, this.inSeries, '#1f6feb', top, w, h);
    this.line(g, this.outSeries, '#2da44e', top, w, h);
  }

  line(g, series, colour, top, w, h) {
    if (series.length === 0) return;
    const step = (w - 40) / Math.max(1, this.seconds - 1);
    const x0 = w - (series.length - 1) * step;
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.beginPath();
    series.forEach((v, i) => {
      const x = x0 + i * step;
      const y = 8 + (h - 24) * (1 - v / top);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  }
};

function niceCeiling(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}
