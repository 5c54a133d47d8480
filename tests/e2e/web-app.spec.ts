import { expect, test } from "./fixtures";

/** The studio can be added to a phone's home screen: its manifest and icons load without signing in. */
test("the web app manifest and icons are public and linked from every page", async ({ page, request }) => {
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  const body = (await manifest.json()) as { name: string; start_url: string; display: string; icons: Array<{ src: string; type: string }> };
  expect(body).toMatchObject({ name: "Mirage", start_url: "/create", display: "standalone" });
  for (const path of [...body.icons.map((icon) => icon.src), "/apple-touch-icon.png"]) {
    const icon = await request.get(path);
    expect(icon.status(), path).toBe(200);
    expect(icon.headers()["content-type"], path).toMatch(/^image\/(png|svg\+xml)/);
  }

  // Signed out, the sign-in page already names them (the phone reads them before anyone signs in).
  await page.goto("/sign-in");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/apple-touch-icon.png");
  await expect(page.locator('link[rel="icon"][type="image/svg+xml"]')).toHaveAttribute("href", "/icon.svg");
});
