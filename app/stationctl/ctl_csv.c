/* app/stationctl/ctl_csv.c: CSV cells as Excel on a Chinese Windows machine reads them
 * (with the BOM the caller writes): quoted when needed, formulas defused. */
#include "app/stationctl/stationctl.h"

#include <string.h>

void ctl_csv_cell(FILE *out, const char *s, int last)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || (*s && s[strlen(s) - 1] == ' ');
	int defuse = strchr("=+-@\t\r", s[0]) && s[0];
	if (quote || defuse)
		fputc('"', out);
	if (defuse)
		fputc('\'', out);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote || defuse)
		fputc('"', out);
	fputs(last ? "\r\n" : ",", out);
}
