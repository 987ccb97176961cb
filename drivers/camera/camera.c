/* drivers/camera/camera.c: the camera backends: image files (tests, demo), V4L2 through
 * zbar's video support (USB cameras) and rpicam-vid's raw YUV output (Pi Camera Module 3),
 * and the spec-string parser that picks one. */
#include "drivers/camera/camera.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <png.h>
#include <zbar.h>

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* ---- image files ---- */

static uint8_t *pgm_load(FILE *fp, int *w, int *h)
{
	int maxval = 0;
	if (fscanf(fp, "P5 %d %d %d", w, h, &maxval) != 3 || fgetc(fp) == EOF)
		return NULL;
	if (*w <= 0 || *h <= 0 || *w > 16384 || *h > 16384 || maxval != 255)
		return NULL;
	size_t size = (size_t)*w * (size_t)*h;
	uint8_t *buf = malloc(size);
	if (buf && fread(buf, 1, size, fp) != size) {
		free(buf);
		return NULL;
	}
	return buf;
}

uint8_t *image_load_gray(const char *path, int *w, int *h)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	unsigned char magic[8] = {0};
	size_t got = fread(magic, 1, sizeof(magic), fp);
	rewind(fp);
	uint8_t *buf = NULL;
	if (got >= 2 && magic[0] == 'P' && magic[1] == '5') {
		buf = pgm_load(fp, w, h);
	} else if (got == 8 && png_sig_cmp(magic, 0, 8) == 0) {
		png_image img;
		memset(&img, 0, sizeof(img));
		img.version = PNG_IMAGE_VERSION;
		if (png_image_begin_read_from_stdio(&img, fp)) {
			img.format = PNG_FORMAT_GRAY;
			if (img.width <= 16384 && img.height <= 16384) {
				buf = malloc(PNG_IMAGE_SIZE(img));
				if (buf && !png_image_finish_read(&img, NULL, buf, 0, NULL)) {
					free(buf);
					buf = NULL;
				}
			}
			*w = (int)img.width;
			*h = (int)img.height;
		}
		png_image_free(&img);
	}
	fclose(fp);
	return buf;
}

#define FILES_MAX_SEEN 4096

struct files_camera {
	struct camera base;
	char path[512];
	bool is_dir;
	bool single_done;
	char **seen; /* names already shown, sorted */
	size_t nseen;
	uint8_t *luma;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_image_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && l > 4 &&
	       (strcmp(n + l - 4, ".png") == 0 || strcmp(n + l - 4, ".pgm") == 0);
}

/* The next file in name order not shown yet, into name (cap bytes); false if none. */
static bool files_next(struct files_camera *fc, char *name, size_t cap)
{
	DIR *d = opendir(fc->path);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_image_name(e->d_name) || strlen(e->d_name) >= cap)
			continue;
		const char *key = e->d_name;
		if (fc->nseen && bsearch(&key, fc->seen, fc->nseen, sizeof(char *), name_cmp))
			continue;
		if (!found || strcmp(e->d_name, name) < 0) {
			snprintf(name, cap, "%s", e->d_name);
			found = true;
		}
	}
	closedir(d);
	return found;
}

static int files_remember(struct files_camera *fc, const char *name)
{
	if (fc->nseen == FILES_MAX_SEEN)
		return -ENOSPC;
	char **grown = realloc(fc->seen, (fc->nseen + 1) * sizeof(char *));
	if (!grown)
		return -ENOMEM;
	fc->seen = grown;
	fc->seen[fc->nseen] = strdup(name);
	if (!fc->seen[fc->nseen])
		return -ENOMEM;
	fc->nseen++;
	qsort(fc->seen, fc->nseen, sizeof(char *), name_cmp);
	return 0;
}

static int files_show(struct files_camera *fc, const char *path, struct frame *out)
{
	int w = 0, h = 0;
	uint8_t *buf = image_load_gray(path, &w, &h);
	if (!buf)
		return -EINVAL; /* a broken file is skipped; the next grab moves on */
	free(fc->luma);
	fc->luma = buf;
	*out = (struct frame){.width = w, .height = h, .stride = w, .luma = buf};
	return 1;
}

static int files_grab(struct camera *c, struct frame *out, int timeout_ms)
{
	struct files_camera *fc = (struct files_camera *)c;
	if (!fc->is_dir) {
		if (fc->single_done) {
			sleep_ms(timeout_ms);
			return 0;
		}
		fc->single_done = true;
		return files_show(fc, fc->path, out);
	}
	for (int waited = 0;; waited += 50) {
		char name[256];
		if (files_next(fc, name, sizeof(name))) {
			int r = files_remember(fc, name);
			if (r < 0)
				return r;
			char full[800];
			snprintf(full, sizeof(full), "%s/%s", fc->path, name);
			return files_show(fc, full, out);
		}
		if (waited >= timeout_ms)
			return 0;
		sleep_ms(50);
	}
}

static void files_close(struct camera *c)
{
	struct files_camera *fc = (struct files_camera *)c;
	for (size_t i = 0; i < fc->nseen; i++)
		free(fc->seen[i]);
	free(fc->seen);
	free(fc->luma);
	free(fc);
}

static const struct camera_ops files_ops = {files_grab, files_close};

static struct camera *files_open(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return NULL;
	struct files_camera *fc = calloc(1, sizeof(*fc));
	if (!fc)
		return NULL;
	fc->base.ops = &files_ops;
	snprintf(fc->path, sizeof(fc->path), "%s", path);
	fc->is_dir = S_ISDIR(st.st_mode);
	return &fc->base;
}

/* ---- V4L2 through zbar ---- */

struct v4l2_camera {
	struct camera base;
	zbar_video_t *video;
	zbar_image_t *gray; /* the last frame, converted to Y800 */
};

static int v4l2_grab(struct camera *c, struct frame *out, int timeout_ms)
{
	struct v4l2_camera *vc = (struct v4l2_camera *)c;
	int fd = zbar_video_get_fd(vc->video);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int r = poll(&p, 1, timeout_ms);
	if (r == 0)
		return 0;
	if (r < 0)
		return -errno;
	if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
		return -ENODEV;
	zbar_image_t *img = zbar_video_next_image(vc->video);
	if (!img)
		return -ENODEV;
	/* Frames that queued up while the last one was decoded are stale: keep the newest. */
	while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
		zbar_image_t *newer = zbar_video_next_image(vc->video);
		if (!newer)
			break;
		zbar_image_destroy(img);
		img = newer;
	}
	zbar_image_t *gray = zbar_image_convert(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_destroy(img);
	if (!gray)
		return -ENOMEM;
	if (vc->gray)
		zbar_image_destroy(vc->gray);
	vc->gray = gray;
	*out = (struct frame){.width = (int)zbar_image_get_width(gray),
	                      .height = (int)zbar_image_get_height(gray),
	                      .stride = (int)zbar_image_get_width(gray),
	                      .luma = zbar_image_get_data(gray)};
	return 1;
}

static void v4l2_close(struct camera *c)
{
	struct v4l2_camera *vc = (struct v4l2_camera *)c;
	if (vc->gray)
		zbar_image_destroy(vc->gray);
	zbar_video_enable(vc->video, 0);
	zbar_video_destroy(vc->video);
	free(vc);
}

static const struct camera_ops v4l2_ops = {v4l2_grab, v4l2_close};

static struct camera *v4l2_open(const char *dev, unsigned w, unsigned h)
{
	struct v4l2_camera *vc = calloc(1, sizeof(*vc));
	if (!vc)
		return NULL;
	vc->base.ops = &v4l2_ops;
	vc->video = zbar_video_create();
	if (!vc->video)
		goto out_free;
	if (w && h)
		zbar_video_request_size(vc->video, w, h);
	if (zbar_video_open(vc->video, dev) != 0)
		goto out_destroy;
	/* Let zbar choose a capture format it can convert to Y800. */
	if (zbar_video_init(vc->video, zbar_fourcc('Y', '8', '0', '0')) != 0 &&
	    zbar_video_init(vc->video, zbar_fourcc('Y', 'U', 'Y', 'V')) != 0)
		goto out_destroy;
	if (zbar_video_enable(vc->video, 1) != 0)
		goto out_destroy;
	return &vc->base;
out_destroy:
	zbar_video_destroy(vc->video);
out_free:
	free(vc);
	errno = ENODEV;
	return NULL;
}

/* ---- rpicam-vid raw YUV420 (libcamera) ---- */

struct rpicam_camera {
	struct camera base;
	pid_t pid;
	int fd;
	int w, h;
	uint8_t *buf; /* one whole YUV420 frame; the luma plane comes first */
	size_t have;
};

static int rpicam_grab(struct camera *c, struct frame *out, int timeout_ms)
{
	struct rpicam_camera *rc = (struct rpicam_camera *)c;
	size_t frame = (size_t)rc->w * (size_t)rc->h * 3 / 2;
	for (;;) {
		while (rc->have < frame) {
			struct pollfd p = {.fd = rc->fd, .events = POLLIN};
			int r = poll(&p, 1, timeout_ms);
			if (r == 0)
				return 0;
			if (r < 0)
				return -errno;
			ssize_t n = read(rc->fd, rc->buf + rc->have, frame - rc->have);
			if (n == 0)
				return -ENODEV; /* rpicam-vid exited: camera gone */
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return -errno;
			if (n > 0)
				rc->have += (size_t)n;
		}
		rc->have = 0;
		/* A whole newer frame already waiting in the pipe makes this one stale (it
		 * queued while the last one was decoded): read on, the newest is shown. */
		int avail = 0;
		if (ioctl(rc->fd, FIONREAD, &avail) != 0 || (size_t)avail < frame)
			break;
	}
	/* the luma plane comes first and is used in place */
	*out = (struct frame){.width = rc->w, .height = rc->h, .stride = rc->w, .luma = rc->buf};
	return 1;
}

static void rpicam_close(struct camera *c)
{
	struct rpicam_camera *rc = (struct rpicam_camera *)c;
	close(rc->fd);
	kill(rc->pid, SIGTERM);
	waitpid(rc->pid, NULL, 0);
	free(rc->buf);
	free(rc);
}

static const struct camera_ops rpicam_ops = {rpicam_grab, rpicam_close};

static struct camera *rpicam_open(int w, int h)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return NULL;
	char ws[16], hs[16];
	snprintf(ws, sizeof(ws), "%d", w);
	snprintf(hs, sizeof(hs), "%d", h);
	pid_t pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return NULL;
	}
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		execlp("rpicam-vid", "rpicam-vid", "-n", "-t", "0", "--codec", "yuv420", "--width",
		       ws, "--height", hs, "--framerate", "30", "-o", "-", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	struct rpicam_camera *rc = calloc(1, sizeof(*rc));
	uint8_t *buf = malloc((size_t)w * (size_t)h * 3 / 2);
	if (!rc || !buf) {
		free(rc);
		free(buf);
		close(pipefd[0]);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		errno = ENOMEM;
		return NULL;
	}
	*rc = (struct rpicam_camera){
	    .base.ops = &rpicam_ops, .pid = pid, .fd = pipefd[0], .w = w, .h = h, .buf = buf};
	return &rc->base;
}

/* ---- spec strings ---- */

static bool parse_size(const char *s, unsigned *w, unsigned *h)
{
	char tail;
	return sscanf(s, "%ux%u%c", w, h, &tail) == 2 && *w >= 16 && *h >= 16 && *w <= 4096 &&
	       *h <= 4096;
}

struct camera *camera_open(const char *spec)
{
	unsigned w = 640, h = 480;
	if (!spec)
		goto out_inval;
	if (strncmp(spec, "files:", 6) == 0 && spec[6])
		return files_open(spec + 6);
	if (strncmp(spec, "v4l2:", 5) == 0 && spec[5]) {
		char dev[256];
		snprintf(dev, sizeof(dev), "%s", spec + 5);
		char *comma = strchr(dev, ',');
		if (comma) {
			*comma = '\0';
			if (!parse_size(comma + 1, &w, &h))
				goto out_inval;
		}
		return v4l2_open(dev, w, h);
	}
	if (strcmp(spec, "rpicam") == 0)
		return rpicam_open((int)w, (int)h);
	if (strncmp(spec, "rpicam:", 7) == 0) {
		if (!parse_size(spec + 7, &w, &h) || w % 2 || h % 2)
			goto out_inval;
		return rpicam_open((int)w, (int)h);
	}
out_inval:
	errno = EINVAL;
	return NULL;
}

int camera_grab(struct camera *c, struct frame *out, int timeout_ms)
{
	return c->ops->grab(c, out, timeout_ms);
}

void camera_close(struct camera *c)
{
	if (c)
		c->ops->close(c);
}
