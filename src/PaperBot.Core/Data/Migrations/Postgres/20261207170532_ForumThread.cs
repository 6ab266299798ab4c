using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ForumThread : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ThreadId",
                table: "Subscribers",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ThreadId",
                table: "Subscribers");
        }
    }
}
