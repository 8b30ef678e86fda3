/**
 * A progress bar for a terminal: redrawn in place on a TTY, a few plain lines otherwise (CI logs, pipes).
 */
export interface ProgressBar {
  update(done: number, label: string): void;
  finish(label: string): void;
}

export function createProgressBar(stream: NodeJS.WriteStream, title: string, width = 30): ProgressBar {
  if (stream.isTTY) {
    let drawn = '';
    const draw = (done: number, label: string): void => {
      const filled = Math.round(Math.min(1, Math.max(0, done)) * width);
      const line = `\r${title} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.floor(done * 100)).padStart(3)}% ${label}`;
      if (line !== drawn) stream.write(line);
      drawn = line;
    };
    return { update: draw, finish: (label) => (draw(1, label), stream.write('\n')) };
  }
  let quarter = -1;
  return {
    update(done, label) {
      const q = Math.floor(done * 4);
      if (q > quarter && q < 4) {
        quarter = q;
        stream.write(`${title}: ${q * 25}% (${label})\n`);
      }
    },
    finish: (label) => void stream.write(`${title}: 100% (${label})\n`),
  };
}
