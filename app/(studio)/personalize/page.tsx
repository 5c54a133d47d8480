import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Personalize" };

export default function PersonalizePage() {
  return <PageHeader title="Personalize">Rank pairs of images to teach the studio your taste.</PageHeader>;
}
