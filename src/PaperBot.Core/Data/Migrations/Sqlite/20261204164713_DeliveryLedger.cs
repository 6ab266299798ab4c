using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeliveryLedger : Migration
    {
        /// <summary>The trigger as this migration made it; a later migration that rebuilds the table (which drops its triggers) makes it again.</summary>
        internal const string TallyTrigger = """
            CREATE TRIGGER "Deliveries_Tally" AFTER UPDATE OF "Status" ON "Deliveries"
            WHEN OLD."Status" <> NEW."Status"
            BEGIN
                UPDATE "PushTallies" SET
                    "Pending" = "Pending" - (OLD."Status" = 'Pending') + (NEW."Status" = 'Pending'),
                    "Sent" = "Sent" - (OLD."Status" = 'Sent') + (NEW."Status" = 'Sent'),
                    "Skipped" = "Skipped" - (OLD."Status" = 'Skipped') + (NEW."Status" = 'Skipped'),
                    "Blocked" = "Blocked" - (OLD."Status" = 'Blocked') + (NEW."Status" = 'Blocked'),
                    "Failed" = "Failed" - (OLD."Status" = 'Failed') + (NEW."Status" = 'Failed'),
                    "Waiting" = "Waiting" - (OLD."Status" = 'Waiting') + (NEW."Status" = 'Waiting')
                WHERE "PushId" = NEW."PushId" AND "Channel" = NEW."Channel";
            END;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deliveries_Status_Id",
                table: "Deliveries");

            migrationBuilder.AddColumn<int>(
                name: "AmbiguousSends",
                table: "Deliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Deliveries",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "PartsSent",
                table: "Deliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DownReason",
                table: "ChannelThrottles",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DownSince",
                table: "ChannelThrottles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ProbeAt",
                table: "ChannelThrottles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PushTallies",
                columns: table => new
                {
                    PushId = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Pending = table.Column<int>(type: "INTEGER", nullable: false),
                    Sent = table.Column<int>(type: "INTEGER", nullable: false),
                    Skipped = table.Column<int>(type: "INTEGER", nullable: false),
                    Blocked = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false),
                    Waiting = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PushTallies", x => new { x.PushId, x.Channel });
                    table.ForeignKey(
                        name: "FK_PushTallies_Pushes_PushId",
                        column: x => x.PushId,
                        principalTable: "Pushes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_Channel_Status_Id",
                table: "Deliveries",
                columns: new[] { "Channel", "Status", "Id" });

            // Deliveries queued before this migration: their channel, and the tallies of their pushes.
            migrationBuilder.Sql("""
                UPDATE "Deliveries" SET "Channel" = (SELECT s."Channel" FROM "Subscribers" AS s WHERE s."Id" = "Deliveries"."SubscriberId");
                """);
            migrationBuilder.Sql("""
                INSERT INTO "PushTallies" ("PushId", "Channel", "Pending", "Sent", "Skipped", "Blocked", "Failed", "Waiting")
                SELECT "PushId", "Channel",
                    SUM(CASE WHEN "Status" = 'Pending' THEN 1 ELSE 0 END), SUM(CASE WHEN "Status" = 'Sent' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN "Status" = 'Skipped' THEN 1 ELSE 0 END), SUM(CASE WHEN "Status" = 'Blocked' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN "Status" = 'Failed' THEN 1 ELSE 0 END), SUM(CASE WHEN "Status" = 'Waiting' THEN 1 ELSE 0 END)
                FROM "Deliveries" GROUP BY "PushId", "Channel";
                """);

            // The tallies follow every change of a delivery's status, whoever makes it (PushTally).
            migrationBuilder.Sql(TallyTrigger);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Deliveries_Tally";""");

            migrationBuilder.DropTable(
                name: "PushTallies");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_Channel_Status_Id",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "AmbiguousSends",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "PartsSent",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "DownReason",
                table: "ChannelThrottles");

            migrationBuilder.DropColumn(
                name: "DownSince",
                table: "ChannelThrottles");

            migrationBuilder.DropColumn(
                name: "ProbeAt",
                table: "ChannelThrottles");

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_Status_Id",
                table: "Deliveries",
                columns: new[] { "Status", "Id" });
        }
    }
}
