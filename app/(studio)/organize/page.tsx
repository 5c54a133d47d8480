import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Organize" };

export default function OrganizePage() {
  return <PageHeader title="Organize">Every image you make, searchable, with the exact recipe that made it.</PageHeader>;
}
