import type { Metadata } from "next";
import Link from "next/link";
import { AuthForm } from "@/components/auth-form";
import { isSignupOpen } from "@/lib/server/session";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  if (!(await isSignupOpen())) {
    return (
      <div className="flex flex-col items-center gap-3 text-center">
        <h1 className="text-lg">Sign-up is closed</h1>
        <p className="text-sm text-ink-300">This studio is invite-only. Ask an admin to create an account for you.</p>
        <Link href="/sign-in" className="text-sm underline">Back to sign in</Link>
      </div>
    );
  }
  return (
    <>
      <h1 className="text-lg text-ink-300">Create your account</h1>
      <AuthForm mode="sign-up" />
    </>
  );
}
