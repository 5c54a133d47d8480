-- Create's settings panel as the user left it (issue 19: settings persist across visits, per user, server side).
ALTER TABLE "user" ADD COLUMN "createSettings" JSONB;
