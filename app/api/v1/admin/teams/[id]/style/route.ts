import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getHouseStyle, pinHouseStyle } from "@/lib/server/teams/house-style";
import { houseStyleContext } from "@/lib/server/teams/house-style-context";

export const GET = route(endpoints.getHouseStyle, async ({ principal, params, query }) => ({
  status: 200,
  body: await getHouseStyle(houseStyleContext(), principal, params.id, query.model),
}));

export const PATCH = route(endpoints.pinHouseStyle, async ({ principal, params, body }) => ({
  status: 200,
  body: { pinned: await pinHouseStyle(houseStyleContext(), principal, params.id, body.code) },
}));
