import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { MoodboardsPanel } from "@/components/personalize/moodboards-panel";
import { RankingScreen } from "@/components/personalize/ranking-screen";
import { getWebContext } from "@/lib/server/context";
import { getProfile } from "@/lib/server/personalization/service";
import { memberHouseStyle } from "@/lib/server/teams/house-style";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Personalize" };

export default async function PersonalizePage() {
  const principal = await requirePageUser();
  const { jobs } = getWebContext();
  const [profile, pinned] = await Promise.all([getProfile(jobs, principal.userId), memberHouseStyle(jobs.db, principal.userId)]);
  // A member whose team pinned a house style: a bare --p means that style, which the screen says.
  const house = pinned && { team: pinned.team, code: pinned.code, model: pinned.modelId };
  return (
    <>
      <PageHeader title="Personalize">
        Pick the image you like better, {profile.progress.required} times, to unlock a personal style profile. Both images show the same subject and seed; only the
        style differs. Skips never count.
      </PageHeader>
      <RankingScreen initial={profile} house={house} />
      <MoodboardsPanel />
    </>
  );
}
