import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Create" };

export default function CreatePage() {
  return <PageHeader title="Create">Type a prompt, get a grid of four. The imagine bar and the GPU queue land here next; the studio&apos;s queue and workers are already running (see Admin → health).</PageHeader>;
}
