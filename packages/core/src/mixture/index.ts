// Barrel for the mixture area. Only the public API is re-exported: cholesky.ts,
// gaussianParameters.ts, gaussianLogDensity.ts and initialResponsibilities.ts are internal
// kernels (their types CovarianceType and GaussianMixtureInit are re-exported by gaussianMixture.ts).
export * from "./gaussianMixture.js";
