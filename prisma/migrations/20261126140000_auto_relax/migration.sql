-- AlterTable
ALTER TABLE "user" ADD COLUMN     "autoRelax" BOOLEAN NOT NULL DEFAULT false;
