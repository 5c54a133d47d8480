import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { adjustHouseStyle } from "@/lib/server/teams/house-style";
import { houseStyleContext } from "@/lib/server/teams/house-style-context";

export const POST = route(endpoints.adjustHouseStyle, async ({ principal, params, body }) => ({
  status: 201,
  body: await adjustHouseStyle(houseStyleContext(), principal, params.id, body),
}));
