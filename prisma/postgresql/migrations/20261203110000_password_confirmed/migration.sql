-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "passwordConfirmedAt" TIMESTAMP(3);

