using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperBot.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TopicsAndArxiv : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Abstract",
                table: "Papers",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ArxivCheckedAt",
                table: "Papers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "Authors",
                table: "Papers",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<string>(
                name: "EnglishTitle",
                table: "Papers",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PrimaryCategory",
                table: "Papers",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "Published",
                table: "Papers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "TopicsCorrectedAt",
                table: "Papers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TopicsCorrectedBy",
                table: "Papers",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Papers_ArxivId",
                table: "Papers",
                column: "ArxivId");

            migrationBuilder.CreateIndex(
                name: "IX_Papers_TopicsCorrectedAt",
                table: "Papers",
                column: "TopicsCorrectedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Papers_ArxivId",
                table: "Papers");

            migrationBuilder.DropIndex(
                name: "IX_Papers_TopicsCorrectedAt",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "Abstract",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "ArxivCheckedAt",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "Authors",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "EnglishTitle",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "PrimaryCategory",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "Published",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "TopicsCorrectedAt",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "TopicsCorrectedBy",
                table: "Papers");
        }
    }
}
