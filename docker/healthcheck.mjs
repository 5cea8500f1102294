// HEALTHCHECK of the API image: exits 0 when GET /healthz returns a 2xx status within 3 s, else 1.
// It connects to 127.0.0.1, which the image's HOST=0.0.0.0 includes. Slim images have no curl.
const port = process.env.PORT || '4000';
const url = `http://127.0.0.1:${port}/healthz`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) {
    console.error(`GET ${url} returned HTTP ${response.status}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`GET ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
