using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Sqlite
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
                type: "INTEGER",
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
