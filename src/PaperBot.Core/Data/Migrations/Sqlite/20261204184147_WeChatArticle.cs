using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WeChatArticle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ArticleUrl",
                table: "Issues",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IssueArticles",
                columns: table => new
                {
                    IssueId = table.Column<int>(type: "INTEGER", nullable: false),
                    CoverMediaId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CoverImageUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CoverFingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DraftMediaId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DraftSavedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PublishId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ClientMsgId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MassSendStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MassSendMsgId = table.Column<long>(type: "INTEGER", nullable: true),
                    MassSendRefused = table.Column<bool>(type: "INTEGER", nullable: false),
                    MassSendStatus = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    TotalCount = table.Column<int>(type: "INTEGER", nullable: true),
                    FilterCount = table.Column<int>(type: "INTEGER", nullable: true),
                    SentCount = table.Column<int>(type: "INTEGER", nullable: true),
                    ErrorCount = table.Column<int>(type: "INTEGER", nullable: true),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssueArticles", x => x.IssueId);
                    table.ForeignKey(
                        name: "FK_IssueArticles_Issues_IssueId",
                        column: x => x.IssueId,
                        principalTable: "Issues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IssueArticles_MassSendMsgId",
                table: "IssueArticles",
                column: "MassSendMsgId");

            migrationBuilder.CreateIndex(
                name: "IX_IssueArticles_PublishId",
                table: "IssueArticles",
                column: "PublishId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IssueArticles");

            migrationBuilder.DropColumn(
                name: "ArticleUrl",
                table: "Issues");
        }
    }
}
