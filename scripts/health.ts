/**
 * Polls `url` until it answers 2xx (true), or until `deadline` (epoch ms) passes or `gaveUp()` says to stop, e.g.
 * because the process that should answer has exited (false).
 */
export async function untilHealthy(
  url: string,
  deadline: number,
  gaveUp: () => boolean = () => false,
  intervalMs = 100,
): Promise<boolean> {
  while (Date.now() < deadline && !gaveUp()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}
