/**
 * The benchmark report: bench-results.json and bench-results.md. Every figure is the median
 * of its runs with min–max; where there is a reference measured in the same run, its
 * median and the ratio stand beside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import { median } from './stats.js';

export interface Series {
  readonly label: string;
  readonly unit: string;
  readonly values: readonly number[];
}

export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly subject: Series;
  readonly reference?: Series;
  /** The goal, in words (e.g. "≤ 5 ms"). */
  readonly target?: string;
}

function summary(series: Series): { median: number; min: number; max: number; runs: number } {
  return { median: median(series.values), min: Math.min(...series.values), max: Math.max(...series.values), runs: series.values.length };
}

export function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    node: process.versions.node,
  };
}

function format(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function writeReport(figures: readonly Figure[], jsonPath: string, mdPath: string, note: string): void {
  const taken = new Date().toISOString();
  const rows = figures.map((figure) => {
    const subject = summary(figure.subject);
    const reference = figure.reference === undefined ? undefined : summary(figure.reference);
    return { figure, subject, reference, ratio: reference === undefined ? undefined : subject.median / reference.median };
  });
  const json = {
    taken,
    machine: machine(),
    note,
    figures: rows.map(({ figure, subject, reference, ratio }) => ({
      id: figure.id,
      title: figure.title,
      target: figure.target,
      subject: { label: figure.subject.label, unit: figure.subject.unit, ...subject, values: figure.subject.values },
      reference: figure.reference === undefined ? undefined : { label: figure.reference.label, unit: figure.reference.unit, ...reference, values: figure.reference.values },
      ratio,
    })),
  };
  fs.writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  const m = machine();
  const lines = [
    `Taken ${taken} on ${String(m['cores'])} cores (${String(m['cpu'])}), ${String(m['memoryGiB'])} GiB, Node ${String(m['node'])}. ${note}`,
    '',
    '| figure | swarmpress (median, min–max) | reference in the same run (median) | ratio | target |',
    '|---|---|---|---|---|',
    ...rows.map(({ figure, subject, reference, ratio }) => {
      const s = `${format(subject.median)} ${figure.subject.unit} (${format(subject.min)}–${format(subject.max)}, ${subject.runs} runs)`;
      const r = reference === undefined || figure.reference === undefined ? '—' : `${figure.reference.label}: ${format(reference.median)} ${figure.reference.unit}`;
      return `| ${figure.title} | ${s} | ${r} | ${ratio === undefined ? '—' : `${format(ratio)}×`} | ${figure.target ?? '—'} |`;
    }),
    '',
  ];
  fs.writeFileSync(mdPath, lines.join('\n'));
}
