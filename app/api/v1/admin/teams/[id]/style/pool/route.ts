import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { poolHouseStyle } from "@/lib/server/teams/house-style";
import { houseStyleContext } from "@/lib/server/teams/house-style-context";

export const POST = route(endpoints.poolHouseStyle, async ({ principal, params, body }) => ({
  status: 201,
  body: await poolHouseStyle(houseStyleContext(), principal, params.id, body.modelId),
}));
