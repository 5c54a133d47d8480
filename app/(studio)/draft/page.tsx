import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Draft" };

export default function DraftPage() {
  return <PageHeader title="Draft">Iterate on a prompt in a chat: quick drafts first, full quality for the one you like.</PageHeader>;
}
