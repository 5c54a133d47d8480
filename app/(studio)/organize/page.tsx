import type { Metadata } from "next";
import { Suspense } from "react";
import { Gallery } from "@/components/organize/gallery";
import { PageHeader } from "@/components/page-header";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Organize" };

export default async function OrganizePage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Organize">Every image you made, newest first. Search prompts, filter, like, and open any image for its exact recipe and lineage.</PageHeader>
      <Suspense>
        <Gallery />
      </Suspense>
    </>
  );
}
