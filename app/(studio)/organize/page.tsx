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
      <PageHeader title="Organize">Every image you made, newest first. Search prompts, filter, like, sort into folders (or save a search as a smart folder), select many to download, move or delete, and open any image for its exact recipe and lineage.</PageHeader>
      <Suspense>
        <Gallery />
      </Suspense>
    </>
  );
}
