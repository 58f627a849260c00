/**
 * Polls `url` until it answers 2xx (true; with `anyAnswer`, any HTTP answer: it listens), or until `deadline` (epoch ms) passes or `gaveUp()` says to stop, e.g.
 * because the process that should answer has exited (false).
 */
export async function untilHealthy(
  url: string,
  deadline: number,
  gaveUp: () => boolean = () => false,
  intervalMs = 100,
  { anyAnswer = false }: { anyAnswer?: boolean } = {},
): Promise<boolean> {
  while (Date.now() < deadline && !gaveUp()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok || anyAnswer) return true;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}
