import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DraftChat } from "@/components/draft/draft-chat";
import { AppError } from "@/lib/errors";
import { getWebContext } from "@/lib/server/context";
import { getDraftSession } from "@/lib/server/draft/sessions";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Draft session" };

export default async function DraftSessionPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requirePageUser();
  const { id } = await params;
  const session = await getDraftSession(getWebContext().jobs, principal.userId, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold tracking-tight">{session.title}</h1>
      <DraftChat initial={session} />
    </>
  );
}
