import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { MoodboardsPanel } from "@/components/personalize/moodboards-panel";
import { RankingScreen } from "@/components/personalize/ranking-screen";
import { getWebContext } from "@/lib/server/context";
import { getProfile } from "@/lib/server/personalization/service";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Personalize" };

export default async function PersonalizePage() {
  const principal = await requirePageUser();
  const profile = await getProfile(getWebContext().jobs, principal.userId);
  return (
    <>
      <PageHeader title="Personalize">
        Pick the image you like better, {profile.progress.required} times, to unlock a personal style profile. Both images show the same subject and seed; only the
        style differs. Skips never count.
      </PageHeader>
      <RankingScreen initial={profile} />
      <MoodboardsPanel />
    </>
  );
}
