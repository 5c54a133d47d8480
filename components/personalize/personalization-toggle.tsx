"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { apiQuery } from "../query/api-query";
import { Switch } from "../ui/switch";

/**
 * The imagine bar's personalization switch: on by default once a profile is
 * unlocked (new jobs use the latest profile unless `--p` names codes), off
 * makes prompts without `--p` unpersonalized.
 */
export function PersonalizationToggle() {
  const queryClient = useQueryClient();
  const profileQuery = apiQuery(endpoints.getProfile);
  const { data: profile, error: loadError } = useQuery(profileQuery);
  const toggleMutation = useMutation({
    mutationFn: (enabled: boolean) => callApi(endpoints.setProfileEnabled, { body: { enabled } }),
    onSuccess: (updated) => queryClient.setQueryData(profileQuery.queryKey, updated),
  });
  const error = (toggleMutation.error ?? loadError)?.message ?? null;
  function toggle() {
    if (profile) toggleMutation.mutate(!profile.enabled);
  }
  const isOn = Boolean(profile?.enabled && profile.unlocked);
  return (
    <div className="flex items-center justify-between gap-4 text-ink-300 md:col-span-2">
      <span id="personalization-label">
        Personalization
        <span className="block text-xs text-ink-300">
          {!profile
            ? "Loading…"
            : profile.unlocked
              ? `Your profile ${profile.code ?? ""} styles new images (strength follows Stylize). Type --p CODE to use other profiles.`
              : (
                  <>
                    Rank {profile.progress.required} pairs to unlock ({profile.progress.ranked} so far) — <Link href="/personalize" className="underline">Personalize</Link>
                  </>
                )}
        </span>
        {error && <span role="alert" className="block text-xs text-red-300">{error}</span>}
      </span>
      <Switch checked={isOn} onCheckedChange={toggle} aria-labelledby="personalization-label" data-testid="personalization-toggle" disabled={!profile?.unlocked} />
    </div>
  );
}
