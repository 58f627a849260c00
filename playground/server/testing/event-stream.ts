/** The playground's server-sent events as a test reads them: waits for a pattern in what has come so far. */
export async function openEvents(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let text = '';
  return {
    response,
    /** Resolves once the stream has carried `pattern`; throws if it ends first. */
    async until(pattern: RegExp) {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}:\n${text}`);
        text += value;
      }
    },
    close: () => controller.abort(),
  };
}
