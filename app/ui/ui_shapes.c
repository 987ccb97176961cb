/* app/ui/ui_shapes.c: filled shapes through SDL_RenderGeometry: rounded rectangles, discs,
 * thick lines, and the icons of the verdict and other screens. */
#include "app/ui/ui_priv.h"

#include <math.h>

#define MAX_POINTS 160

static SDL_Color sdl_color(struct dl_color c)
{
	return (SDL_Color){c.r, c.g, c.b, c.a};
}

/* A convex polygon as a fan of triangles around its first point. */
static void fill_convex(SDL_Renderer *r, const SDL_FPoint *pts, int n, struct dl_color c)
{
	SDL_Vertex v[MAX_POINTS];
	int idx[3 * MAX_POINTS];
	if (n < 3 || n > MAX_POINTS)
		return;
	SDL_Color col = sdl_color(c);
	for (int i = 0; i < n; i++)
		v[i] = (SDL_Vertex){pts[i], col, {0, 0}};
	int k = 0;
	for (int i = 1; i + 1 < n; i++) {
		idx[k++] = 0;
		idx[k++] = i;
		idx[k++] = i + 1;
	}
	SDL_RenderGeometry(r, NULL, v, n, idx, k);
}

/* The outline of a rounded rectangle as 4 * (seg + 1) points, counter-clockwise from the
 * top-right corner; seg is the same for every rectangle so that two outlines pair up. */
#define ARC_SEG 12
static int outline(float x, float y, float w, float h, float radius, SDL_FPoint *pts)
{
	int n = 0;
	const float cx[4] = {x + w - radius, x + radius, x + radius, x + w - radius};
	const float cy[4] = {y + radius, y + radius, y + h - radius, y + h - radius};
	for (int q = 0; q < 4; q++) {
		for (int i = 0; i <= ARC_SEG; i++) {
			double a = (q * 90.0 + 90.0 * i / ARC_SEG) * M_PI / 180.0;
			pts[n++] = (SDL_FPoint){cx[q] + (float)(radius * cos(a)),
			                        cy[q] - (float)(radius * sin(a))};
		}
	}
	return n;
}

static int clamp_radius(struct dl_rect rect, int radius)
{
	if (radius > rect.w / 2)
		radius = rect.w / 2;
	if (radius > rect.h / 2)
		radius = rect.h / 2;
	return radius < 0 ? 0 : radius;
}

void shape_round_rect(SDL_Renderer *r, struct dl_rect rect, int radius, struct dl_color c)
{
	if (rect.w <= 0 || rect.h <= 0 || c.a == 0)
		return;
	SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	radius = clamp_radius(rect, radius);
	if (radius <= 1) {
		SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
		SDL_RenderFillRect(r, &(SDL_Rect){rect.x, rect.y, rect.w, rect.h});
		return;
	}
	SDL_FPoint pts[4 * (ARC_SEG + 1)];
	int n = outline(rect.x, rect.y, rect.w, rect.h, radius, pts);
	fill_convex(r, pts, n, c);
}

void shape_round_ring(SDL_Renderer *r, struct dl_rect rect, int radius, int stroke,
                      struct dl_color c)
{
	if (rect.w <= 2 * stroke || rect.h <= 2 * stroke || c.a == 0)
		return;
	SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	radius = clamp_radius(rect, radius);
	if (radius < stroke + 1)
		radius = stroke + 1;
	SDL_FPoint out[4 * (ARC_SEG + 1)], in[4 * (ARC_SEG + 1)];
	int n = outline(rect.x, rect.y, rect.w, rect.h, radius, out);
	outline(rect.x + stroke, rect.y + stroke, rect.w - 2 * stroke, rect.h - 2 * stroke,
	        radius - stroke, in);
	SDL_Vertex v[2 * 4 * (ARC_SEG + 1)];
	int idx[6 * 4 * (ARC_SEG + 1)], k = 0;
	SDL_Color col = sdl_color(c);
	for (int i = 0; i < n; i++) {
		v[2 * i] = (SDL_Vertex){out[i], col, {0, 0}};
		v[2 * i + 1] = (SDL_Vertex){in[i], col, {0, 0}};
	}
	for (int i = 0; i < n; i++) {
		int j = (i + 1) % n;
		int a = 2 * i, b = 2 * i + 1, cc = 2 * j, d = 2 * j + 1;
		idx[k++] = a;
		idx[k++] = cc;
		idx[k++] = b;
		idx[k++] = b;
		idx[k++] = cc;
		idx[k++] = d;
	}
	SDL_RenderGeometry(r, NULL, v, 2 * n, idx, k);
}

void shape_disc(SDL_Renderer *r, float cx, float cy, float radius, struct dl_color c)
{
	int d = (int)(radius * 2 + 0.5f);
	shape_round_rect(
	    r, (struct dl_rect){(int)(cx - radius + 0.5f), (int)(cy - radius + 0.5f), d, d}, d / 2,
	    c);
}

void shape_line(SDL_Renderer *r, float x1, float y1, float x2, float y2, float width,
                struct dl_color c)
{
	float dx = x2 - x1, dy = y2 - y1;
	float len = sqrtf(dx * dx + dy * dy);
	if (len <= 0.0f)
		return;
	float nx = -dy / len * width / 2, ny = dx / len * width / 2;
	SDL_FPoint q[4] = {
	    {x1 + nx, y1 + ny}, {x2 + nx, y2 + ny}, {x2 - nx, y2 - ny}, {x1 - nx, y1 - ny}};
	fill_convex(r, q, 4, c);
	shape_disc(r, x1, y1, width / 2, c);
	shape_disc(r, x2, y2, width / 2, c);
}

static void square(SDL_Renderer *r, float x, float y, float s, struct dl_color c)
{
	SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
	SDL_RenderFillRectF(r, &(SDL_FRect){x, y, s, s});
}

/* A QR finder pattern: 7x7 modules of size m at (x, y). */
static void finder(SDL_Renderer *r, float x, float y, float m, struct dl_color fg,
                   struct dl_color bg)
{
	square(r, x, y, 7 * m, fg);
	square(r, x + m, y + m, 5 * m, bg);
	square(r, x + 2 * m, y + 2 * m, 3 * m, fg);
}

void shape_icon(SDL_Renderer *r, enum dl_icon icon, struct dl_rect rect, struct dl_color fg,
                struct dl_color cutout)
{
	float s = (float)(rect.w < rect.h ? rect.w : rect.h);
	float x = rect.x + (rect.w - s) / 2, y = rect.y + (rect.h - s) / 2;
	float cx = x + s / 2, cy = y + s / 2;
	float stroke = s * 0.11f;
	switch (icon) {
	case DL_ICON_CHECK:
		shape_disc(r, cx, cy, s / 2, fg);
		shape_line(r, x + s * 0.27f, y + s * 0.52f, x + s * 0.43f, y + s * 0.68f, stroke,
		           cutout);
		shape_line(r, x + s * 0.43f, y + s * 0.68f, x + s * 0.74f, y + s * 0.34f, stroke,
		           cutout);
		break;
	case DL_ICON_CROSS:
		shape_disc(r, cx, cy, s / 2, fg);
		shape_line(r, x + s * 0.32f, y + s * 0.32f, x + s * 0.68f, y + s * 0.68f, stroke,
		           cutout);
		shape_line(r, x + s * 0.68f, y + s * 0.32f, x + s * 0.32f, y + s * 0.68f, stroke,
		           cutout);
		break;
	case DL_ICON_ATTENTION: {
		SDL_FPoint t[3] = {{cx, y + s * 0.04f}, {x + s, y + s * 0.92f}, {x, y + s * 0.92f}};
		fill_convex(r, t, 3, fg);
		shape_line(r, cx, y + s * 0.36f, cx, y + s * 0.62f, stroke, cutout);
		shape_disc(r, cx, y + s * 0.78f, stroke * 0.7f, cutout);
		break;
	}
	case DL_ICON_PHONE_QR: {
		struct dl_rect body = {(int)(x + s * 0.22f), (int)y, (int)(s * 0.56f), (int)s};
		shape_round_rect(r, body, (int)(s * 0.07f), fg);
		struct dl_rect screen = {body.x + (int)(s * 0.04f), body.y + (int)(s * 0.1f),
		                         body.w - (int)(s * 0.08f), body.h - (int)(s * 0.2f)};
		shape_round_rect(r, screen, 0, cutout);
		float m = screen.w / 25.0f;
		float qx = screen.x + 2 * m, qy = screen.y + (screen.h - 21 * m) / 2;
		finder(r, qx, qy, m, fg, cutout);
		finder(r, qx + 14 * m, qy, m, fg, cutout);
		finder(r, qx, qy + 14 * m, m, fg, cutout);
		/* a few data modules, fixed so the picture never changes */
		static const unsigned char data[][2] = {
		    {9, 1},   {11, 2}, {9, 4},   {12, 5},  {10, 8},  {14, 9},  {17, 9},  {19, 10},
		    {8, 10},  {2, 9},  {4, 11},  {6, 9},   {12, 12}, {15, 13}, {18, 15}, {10, 15},
		    {14, 17}, {9, 18}, {17, 19}, {12, 20}, {19, 18}, {16, 16}, {11, 10}, {13, 7}};
		for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
			square(r, qx + data[i][0] * m, qy + data[i][1] * m, m * 1.5f, fg);
		break;
	}
	case DL_ICON_PRINTER: {
		shape_round_rect(r,
		                 (struct dl_rect){(int)(x + s * 0.25f), (int)(y + s * 0.1f),
		                                  (int)(s * 0.5f), (int)(s * 0.3f)},
		                 0, fg);
		shape_round_rect(
		    r, (struct dl_rect){(int)x, (int)(y + s * 0.35f), (int)s, (int)(s * 0.4f)},
		    (int)(s * 0.06f), fg);
		shape_round_rect(r,
		                 (struct dl_rect){(int)(x + s * 0.25f), (int)(y + s * 0.6f),
		                                  (int)(s * 0.5f), (int)(s * 0.35f)},
		                 0, cutout);
		shape_line(r, x + s * 0.33f, y + s * 0.72f, x + s * 0.67f, y + s * 0.72f, s * 0.04f,
		           fg);
		shape_line(r, x + s * 0.33f, y + s * 0.84f, x + s * 0.6f, y + s * 0.84f, s * 0.04f,
		           fg);
		break;
	}
	case DL_ICON_PERSON:
		shape_disc(r, cx, y + s * 0.28f, s * 0.2f, fg);
		shape_round_rect(r,
		                 (struct dl_rect){(int)(x + s * 0.16f), (int)(y + s * 0.55f),
		                                  (int)(s * 0.68f), (int)(s * 0.45f)},
		                 (int)(s * 0.22f), fg);
		break;
	default:
		break;
	}
}
