using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Postgres
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
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IssueArticles",
                columns: table => new
                {
                    IssueId = table.Column<int>(type: "integer", nullable: false),
                    CoverMediaId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    CoverImageUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CoverFingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DraftMediaId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DraftSavedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ClientMsgId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    MassSendStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    MassSendMsgId = table.Column<long>(type: "bigint", nullable: true),
                    MassSendRefused = table.Column<bool>(type: "boolean", nullable: false),
                    MassSendStatus = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    TotalCount = table.Column<int>(type: "integer", nullable: true),
                    FilterCount = table.Column<int>(type: "integer", nullable: true),
                    SentCount = table.Column<int>(type: "integer", nullable: true),
                    ErrorCount = table.Column<int>(type: "integer", nullable: true),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
