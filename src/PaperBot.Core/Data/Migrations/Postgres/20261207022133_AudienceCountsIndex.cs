using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AudienceCountsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Subscribers_Status",
                table: "Subscribers");

            migrationBuilder.CreateIndex(
                name: "IX_Subscribers_Status_Channel_Kind",
                table: "Subscribers",
                columns: new[] { "Status", "Channel", "Kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Subscribers_Status_Channel_Kind",
                table: "Subscribers");

            migrationBuilder.CreateIndex(
                name: "IX_Subscribers_Status",
                table: "Subscribers",
                column: "Status");
        }
    }
}
