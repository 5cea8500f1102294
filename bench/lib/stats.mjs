// Small helpers for the figures of the report.

export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Medians of the figures of several wrk runs, plus the spread of requests/s ((max - min) / median). */
export function summarizeRuns(runs) {
  const pick = (read) => median(runs.map(read));
  const rates = runs.map((run) => run.rps);
  const rps = median(rates);
  return {
    runs: runs.length,
    rps,
    p50: pick((run) => run.p50),
    p99: pick((run) => run.p99),
    serverCpuMs: pick((run) => run.cpuMsPerRequest.server),
    databaseCpuMs: pick((run) => run.cpuMsPerRequest.database),
    spread: runs.length > 1 ? (Math.max(...rates) - Math.min(...rates)) / rps : 0,
    failures: runs.reduce((sum, run) => sum + run.non2xx + run.graphqlErrors, 0),
  };
}
