import { ZIdParam } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import {
  ZPairAnswerRequest,
  ZPairAnswerResult,
  ZPairIdParam,
  ZPersonalizationProfile,
  ZPoolImageQuery,
  ZProfileToggleRequest,
  ZRankingPair,
} from "@/lib/schemas/personalization";
import { defineEndpoint } from "../contract";

export const nextPairs = defineEndpoint({
  method: "GET",
  path: "/api/v1/personalization/pairs/next",
  access: "user",
  summary: "The next pair to rank, and one to prefetch",
  responses: {
    200: { schema: ZRankingPair, description: "Two images of one subject and seed that differ in style" },
    503: { schema: ZErrorResponse, description: "The ranking pool is still being rendered" },
  },
});

export const answerPair = defineEndpoint({
  method: "POST",
  path: "/api/v1/personalization/pairs/{id}",
  access: "user",
  summary: "Answer an offered pair: left, right or skip (skips never count)",
  params: ZPairIdParam,
  body: ZPairAnswerRequest,
  responses: {
    200: { schema: ZPairAnswerResult, description: "The profile after the answer" },
    409: { schema: ZErrorResponse, description: "Not offered, or already answered" },
  },
});

export const getProfile = defineEndpoint({
  method: "GET",
  path: "/api/v1/personalization/profile",
  access: "user",
  summary: "Your personalization: progress, unlocked, enabled, current code and metrics",
  responses: { 200: { schema: ZPersonalizationProfile, description: "The profile" } },
});

export const setProfileEnabled = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/personalization/profile",
  access: "user",
  summary: "Turn personalization on or off by default",
  body: ZProfileToggleRequest,
  responses: { 200: { schema: ZPersonalizationProfile, description: "The profile" } },
});

export const poolImageFile = defineEndpoint({
  method: "GET",
  path: "/api/v1/personalization/images/{id}",
  access: "user",
  summary: "A ranking-pool image file",
  params: ZIdParam,
  query: ZPoolImageQuery,
  responses: { 200: { description: "image/png (full) or image/webp (thumb)" }, 404: { schema: ZErrorResponse, description: "No such image" } },
});
