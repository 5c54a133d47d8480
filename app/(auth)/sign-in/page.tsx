import type { Metadata } from "next";
import { AuthForm } from "@/components/auth-form";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <>
      <h1 className="text-lg text-ink-300">Sign in to your studio</h1>
      <AuthForm mode="sign-in" />
    </>
  );
}
