/**
 * Dates as the window shows them: local time, `2026-11-21 08:02`. Written out by hand
 * rather than with toLocaleString, whose first call loads ICU's locale data (~20 ms of the
 * UI thread, measured, right before a stored page's first paint); the form is also the
 * same in every locale, and unambiguous.
 */
function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function localTime(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return '?';
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
