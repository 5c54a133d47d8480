-- The caller's default model for the protocol APIs (lib/protocols): AUTOMATIC1111's sd_model_checkpoint.
ALTER TABLE "user" ADD COLUMN "defaultModel" TEXT;
