using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MassSendMsgId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "MassSendMsgId",
                table: "Deliveries",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_MassSendMsgId",
                table: "Deliveries",
                column: "MassSendMsgId",
                filter: "\"MassSendMsgId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deliveries_MassSendMsgId",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "MassSendMsgId",
                table: "Deliveries");
        }
    }
}
