-- AlterTable
ALTER TABLE "Session" ADD COLUMN "passwordConfirmedAt" DATETIME;

