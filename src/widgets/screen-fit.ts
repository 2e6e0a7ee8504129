/**
 * Windows and dialogs that fit the screen they open on: swarmpress runs on old machines
 * with 1024×768 and 800×600 screens, and on kiosks (issue #22). A window takes its preferred
 * size when the screen's available geometry (without panels and docks) has room for it, or
 * else the available size, and is never allowed to grow past it: content that does not fit
 * scrolls or collapses inside the window instead.
 *
 * Threading: UI thread only.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';

/** A rectangle in screen pixels. */
export interface ScreenArea {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * Room a window manager's frame takes around a window, at most (title bar and borders of
 * common window managers: 20-30 px on top, a few px at the sides). Without a window manager
 * there is no frame and the window is only this much smaller than it could be.
 */
export const FRAME_ALLOWANCE_PX = { width: 8, height: 32 } as const;

/** The primary screen's available geometry, or undefined when Qt knows of no screen. */
export function availableArea(qt: Qt): ScreenArea | undefined {
  const rect = qt.QApplication.primaryScreen()?.availableGeometry();
  if (rect === undefined || rect.width() <= 0 || rect.height() <= 0) return undefined;
  return { x: rect.left(), y: rect.top(), width: rect.width(), height: rect.height() };
}

/** The primary screen's whole geometry (kiosk: what a window covers), or undefined. */
export function screenArea(qt: Qt): ScreenArea | undefined {
  const rect = qt.QApplication.primaryScreen()?.geometry();
  if (rect === undefined || rect.width() <= 0 || rect.height() <= 0) return undefined;
  return { x: rect.left(), y: rect.top(), width: rect.width(), height: rect.height() };
}

/**
 * The size a window that would like `preferred` gets in `area`, leaving room for a
 * window manager's frame (pure).
 */
export function fitSize(preferred: Size, area: ScreenArea): Size {
  return {
    width: Math.max(1, Math.min(preferred.width, area.width - FRAME_ALLOWANCE_PX.width)),
    height: Math.max(1, Math.min(preferred.height, area.height - FRAME_ALLOWANCE_PX.height)),
  };
}

/**
 * Where a window of `size` goes in `area` so that all of it is inside: centred on `near`
 * (the window it belongs to) when given, else centred in the area (pure).
 */
export function placeInside(size: Size, area: ScreenArea, near?: ScreenArea): { x: number; y: number } {
  const centre = near ?? area;
  const x = Math.round(centre.x + (centre.width - size.width) / 2);
  const y = Math.round(centre.y + (centre.height - size.height) / 2);
  const clamp = (value: number, low: number, high: number): number => Math.max(low, Math.min(value, high));
  return {
    x: clamp(x, area.x, area.x + area.width - size.width - FRAME_ALLOWANCE_PX.width),
    y: clamp(y, area.y, area.y + area.height - size.height - FRAME_ALLOWANCE_PX.height),
  };
}

/**
 * Sizes `window` to `preferred` or the screen's available size, whichever is smaller,
 * places it inside the screen (near `near` when given) and caps its size at the available
 * size, so that no content, however wide, can make it grow past the screen.
 */
export function fitToScreen(qt: Qt, window: NodeGui.QWidget, preferred: Size, near?: NodeGui.QWidget): Size {
  const area = availableArea(qt);
  if (area === undefined) {
    window.resize(preferred.width, preferred.height);
    return preferred;
  }
  const size = fitSize(preferred, area);
  window.setMaximumSize(area.width, area.height);
  window.resize(size.width, size.height);
  const nearRect = near?.geometry();
  const at = placeInside(size, area, nearRect === undefined ? undefined : { x: nearRect.left(), y: nearRect.top(), width: nearRect.width(), height: nearRect.height() });
  window.move(at.x, at.y);
  return size;
}
