// Types of sigstore-wasm/badge (src/badge.js). Importing it defines <sigstore-provenance>.
import type { BadgeModel, SigstoreProvenanceElement as Element } from './index.js';

export type { BadgeModel, SigstoreProvenanceEventDetail } from './index.js';

/** The element class (already registered as `sigstore-provenance` when customElements exists). */
export const SigstoreProvenanceElement: { prototype: Element; new (): Element; readonly observedAttributes: string[] };

/** Draw the badge for `model` into a ShadowRoot (or element); returns the badge's root element. */
export function renderBadge(root: ShadowRoot | Element | HTMLElement, model: BadgeModel): HTMLElement;

/** The one-line text equivalent of `model`'s verdict. */
export function badgeText(model: BadgeModel): string;
