/**
 * What the page loads after the trace is on screen, or when first used: the dialogs (with every
 * protocol and shipped scenario they offer), the plots and report, and the comparison. Opening a
 * trace needs none of it, so its code is neither downloaded nor evaluated before the first picture.
 */
export { Dialogs } from './dialogs.ts';
export { openReport } from './report-dialog.ts';
export { openCompare } from './compare-dialog.ts';
export { findScenario, shippedScenarios } from '../scenarios.ts';
export { protocolsReady } from '../project-protocols.ts';
