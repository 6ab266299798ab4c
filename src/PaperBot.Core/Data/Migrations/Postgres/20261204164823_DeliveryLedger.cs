using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeliveryLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deliveries_Status_Id",
                table: "Deliveries");

            migrationBuilder.AddColumn<int>(
                name: "AmbiguousSends",
                table: "Deliveries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Deliveries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "PartsSent",
                table: "Deliveries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DownReason",
                table: "ChannelThrottles",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DownSince",
                table: "ChannelThrottles",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ProbeAt",
                table: "ChannelThrottles",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PushTallies",
                columns: table => new
                {
                    PushId = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Pending = table.Column<int>(type: "integer", nullable: false),
                    Sent = table.Column<int>(type: "integer", nullable: false),
                    Skipped = table.Column<int>(type: "integer", nullable: false),
                    Blocked = table.Column<int>(type: "integer", nullable: false),
                    Failed = table.Column<int>(type: "integer", nullable: false),
                    Waiting = table.Column<int>(type: "integer", nullable: false)
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

            // The tallies follow every change of a delivery's status, whoever makes it (PushTally): one statement-level
            // trigger adds up what a whole UPDATE changed.
            migrationBuilder.Sql("""
                CREATE FUNCTION "Deliveries_Tally"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "PushTallies" AS t SET
                        "Pending" = t."Pending" + c."Pending", "Sent" = t."Sent" + c."Sent", "Skipped" = t."Skipped" + c."Skipped",
                        "Blocked" = t."Blocked" + c."Blocked", "Failed" = t."Failed" + c."Failed", "Waiting" = t."Waiting" + c."Waiting"
                    FROM (
                        SELECT n."PushId", n."Channel",
                            SUM((n."Status" = 'Pending')::int - (o."Status" = 'Pending')::int) AS "Pending",
                            SUM((n."Status" = 'Sent')::int - (o."Status" = 'Sent')::int) AS "Sent",
                            SUM((n."Status" = 'Skipped')::int - (o."Status" = 'Skipped')::int) AS "Skipped",
                            SUM((n."Status" = 'Blocked')::int - (o."Status" = 'Blocked')::int) AS "Blocked",
                            SUM((n."Status" = 'Failed')::int - (o."Status" = 'Failed')::int) AS "Failed",
                            SUM((n."Status" = 'Waiting')::int - (o."Status" = 'Waiting')::int) AS "Waiting"
                        FROM new_rows AS n JOIN old_rows AS o ON o."Id" = n."Id"
                        WHERE o."Status" <> n."Status"
                        GROUP BY n."PushId", n."Channel") AS c
                    WHERE t."PushId" = c."PushId" AND t."Channel" = c."Channel";
                    RETURN NULL;
                END $$;
                CREATE TRIGGER "Deliveries_Tally" AFTER UPDATE ON "Deliveries"
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION "Deliveries_Tally"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Deliveries_Tally" ON "Deliveries"; DROP FUNCTION "Deliveries_Tally"();""");

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
