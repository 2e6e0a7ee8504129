/**
 * A layout plan as JSON text, for the way from the layout thread to the UI thread
 * (parse-worker.ts says why). JSON has no bytes: the address of a swarm link (its key or
 * infohash) is left out and parsed again from the link's href, which is that address's
 * canonical spelling (core/link.ts), so the plan that arrives equals the plan that left.
 */
import { parseAddress } from '../core/address.js';
import type { LinkTarget } from '../core/link.js';
import type { LayoutPlan, PlanLink } from './layout.js';

export function planToJson(plan: LayoutPlan): string {
  return JSON.stringify(plan, (key: string, value: unknown) => (key === 'address' && value !== null && typeof value === 'object' ? undefined : value));
}

/** The plan `planToJson` wrote (trusted input: this program's own thread made it). */
export function planFromJson(json: string): LayoutPlan {
  const plan = JSON.parse(json) as LayoutPlan;
  const links = plan.links.map((link): PlanLink => {
    if (link.target.kind !== 'swarm') return link;
    const address = parseAddress(link.target.href);
    const target: LinkTarget = address.ok
      ? { kind: 'swarm', href: link.target.href, address: address.value }
      : { kind: 'inert', reason: `the address ${link.target.href} cannot be read again: ${address.error.message}` };
    return { href: link.href, target };
  });
  return { ...plan, links };
}
