using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Deliveries lose their foreign keys (see <c>Delivery</c>). SQLite drops a foreign key only by rebuilding the table.
    /// The rebuild is written out here instead of EF's own, because EF's runs in three transactions (a crash between them
    /// leaves a half-made table that stops every later start) and before a migration's SQL (so the tally trigger, which
    /// dropping the old table drops, could not be made again after it). Here it is one transaction: the copy with its
    /// AUTOINCREMENT counter, the indexes and the trigger. No table refers to Deliveries, so foreign keys stay on.
    /// </summary>
    public partial class DeliveriesWithoutForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, foreignKeys: "");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, foreignKeys: """
            ,
                CONSTRAINT "FK_Deliveries_Pushes_PushId" FOREIGN KEY ("PushId") REFERENCES "Pushes" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_Deliveries_Subscribers_SubscriberId" FOREIGN KEY ("SubscriberId") REFERENCES "Subscribers" ("Id") ON DELETE CASCADE
            """);

        private static void Rebuild(MigrationBuilder migrationBuilder, string foreignKeys)
        {
            const string columns = """
                "Id", "AmbiguousSends", "Attempts", "Channel", "ClaimedBy", "ClaimedUntil", "LastError", "NextAttemptAt", "PartsSent", "PushId", "SentAt", "Status", "SubscriberId"
                """;
            migrationBuilder.Sql($"""
                CREATE TABLE "ef_temp_Deliveries" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Deliveries" PRIMARY KEY AUTOINCREMENT,
                    "AmbiguousSends" INTEGER NOT NULL,
                    "Attempts" INTEGER NOT NULL,
                    "Channel" TEXT NOT NULL,
                    "ClaimedBy" TEXT NULL,
                    "ClaimedUntil" INTEGER NULL,
                    "LastError" TEXT NULL,
                    "NextAttemptAt" INTEGER NULL,
                    "PartsSent" INTEGER NOT NULL,
                    "PushId" INTEGER NOT NULL,
                    "SentAt" INTEGER NULL,
                    "Status" TEXT NOT NULL,
                    "SubscriberId" INTEGER NOT NULL{foreignKeys}
                );
                """);
            migrationBuilder.Sql($"""INSERT INTO "ef_temp_Deliveries" ({columns}) SELECT {columns} FROM "Deliveries";""");
            // The next id goes on from the old table's counter, not from its largest id left after pruning.
            migrationBuilder.Sql("""
                DELETE FROM sqlite_sequence WHERE name = 'ef_temp_Deliveries';
                INSERT INTO sqlite_sequence (name, seq) SELECT 'ef_temp_Deliveries', seq FROM sqlite_sequence WHERE name = 'Deliveries';
                """);
            migrationBuilder.Sql("""DROP TABLE "Deliveries";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_Deliveries" RENAME TO "Deliveries";""");
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Deliveries_Channel_Status_Id" ON "Deliveries" ("Channel", "Status", "Id");
                CREATE INDEX "IX_Deliveries_PushId_Status" ON "Deliveries" ("PushId", "Status");
                CREATE UNIQUE INDEX "IX_Deliveries_PushId_SubscriberId" ON "Deliveries" ("PushId", "SubscriberId");
                CREATE INDEX "IX_Deliveries_SubscriberId" ON "Deliveries" ("SubscriberId");
                """);
            migrationBuilder.Sql(DeliveryLedger.TallyTrigger);
        }
    }
}
