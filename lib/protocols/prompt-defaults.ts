import { PROMPT_LIMITS } from "@/lib/prompt";

/**
 * Protocol fields (OpenAI's size, quality and n) become Mirage prompt
 * parameters appended to the prompt, unless the prompt already sets that
 * parameter itself: what the person typed (`--ar 16:9`, `--draft`, `--r 2`)
 * wins over what their client filled in. The prompt is then parsed by the same
 * code as the imagine bar, so plan caps and checks are identical.
 */
function hasParameter(prompt: string, names: string[]): boolean {
  return names.some((name) => new RegExp(`(?:^|\\s)--${name}(?=\\s|$)`, "i").test(prompt));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** `--ar W:H` for a size, reduced, with the ratio kept inside what --ar accepts. */
export function aspectParameter(width: number, height: number): string {
  const max = PROMPT_LIMITS.maxAspect;
  if (width / height > max) return `--ar ${max}:1`;
  if (height / width > max) return `--ar 1:${max}`;
  const divisor = gcd(width, height);
  const [w, h] = [width / divisor, height / divisor];
  // Sides over --ar's limit: an approximation is fine, the size snaps to a bucket anyway.
  if (w > PROMPT_LIMITS.aspectSide || h > PROMPT_LIMITS.aspectSide) return `--ar ${Math.round((width / height) * 1000)}:1000`;
  return `--ar ${w}:${h}`;
}

export function withPromptDefaults(prompt: string, defaults: { aspect?: { width: number; height: number }; draft?: boolean; repeat?: number; imageWeight?: number }): string {
  const added: string[] = [];
  if (defaults.aspect && !hasParameter(prompt, ["ar", "aspect"])) added.push(aspectParameter(defaults.aspect.width, defaults.aspect.height));
  if (defaults.draft && !hasParameter(prompt, ["draft"])) added.push("--draft");
  if (defaults.repeat && defaults.repeat > 1 && !hasParameter(prompt, ["r", "repeat"])) added.push(`--r ${defaults.repeat}`);
  if (defaults.imageWeight !== undefined && !hasParameter(prompt, ["iw"])) added.push(`--iw ${defaults.imageWeight}`);
  return added.length > 0 ? `${prompt} ${added.join(" ")}` : prompt;
}

/** "1024x1024" → its aspect; "auto" or absent → undefined. */
export function parseSize(size: string | null | undefined): { width: number; height: number } | undefined {
  const match = size ? /^(\d+)x(\d+)$/.exec(size) : null;
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}
