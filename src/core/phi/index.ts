export { detectPhi, maskPhi, PHI_KIND_LABELS, PHI_KINDS } from './detectors';
export type { PhiHit, PhiKind } from './detectors';
export { describePhiCounts, describePhiExample, PhiScanner, scanPhi } from './scan';
export type { PhiExample, PhiReport, PhiScanOptions } from './scan';
