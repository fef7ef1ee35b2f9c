/* cx_ahead — batches filled in a second thread (see cx_ahead.h). */
#include <pthread.h>
#include <signal.h>

#include "cx_ahead.h"
#include "cx_mem.h"

struct cx_ahead {
	cx_ahead_fill_fn fill;
	void *ctx;
	void **b;
	size_t n;
	unsigned head, tail;   /* batches given back / filled (b[i % n]) */
	int taken;             /* b[head] is the caller's */
	int last;              /* the last batch is filled */
	int threaded, stop;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *
ahead_main(void *arg)
{
	struct cx_ahead *a = arg;
	for (;;) {
		pthread_mutex_lock(&a->mu);
		while (!a->stop && a->tail - a->head >= a->n)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop) {
			pthread_mutex_unlock(&a->mu);
			return NULL;
		}
		void *b = a->b[a->tail % a->n];
		pthread_mutex_unlock(&a->mu);
		int more = a->fill(a->ctx, b);
		pthread_mutex_lock(&a->mu);
		a->tail++;
		a->last = !more;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		if (!more)
			return NULL;
	}
}

struct cx_ahead *
cx_ahead_new(cx_ahead_fill_fn fill, void *ctx, void *const *batches, size_t n,
             struct cx_error *err)
{
	struct cx_ahead *a = cx_calloc(1, sizeof *a);
	sigset_t all, old;
	if (!a || !(a->b = cx_calloc(n, sizeof *a->b))) {
		cx_free(a);
		cx_error_set(err, CX_ENOMEM, NULL, 0, "out of memory");
		return NULL;
	}
	a->fill = fill;
	a->ctx = ctx;
	a->n = n;
	for (size_t i = 0; i < n; i++)
		a->b[i] = batches[i];
	if (n < 2 || pthread_mutex_init(&a->mu, NULL) != 0)
		return a;
	if (pthread_cond_init(&a->cv, NULL) != 0) {
		pthread_mutex_destroy(&a->mu);
		return a;
	}
	/* signals stay with the caller's thread (the output's cleanup) */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int k = pthread_create(&a->th, NULL, ahead_main, a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (k != 0) {
		pthread_cond_destroy(&a->cv);
		pthread_mutex_destroy(&a->mu);
		return a;   /* cx_ahead_next fills the batches itself */
	}
	a->threaded = 1;
	return a;
}

void *
cx_ahead_next(struct cx_ahead *a)
{
	if (!a->threaded) {
		if (a->last)
			return NULL;
		a->last = !a->fill(a->ctx, a->b[0]);
		return a->b[0];
	}
	pthread_mutex_lock(&a->mu);
	if (a->taken) {
		a->head++;
		a->taken = 0;
		pthread_cond_broadcast(&a->cv);
	}
	while (a->tail == a->head && !a->last)
		pthread_cond_wait(&a->cv, &a->mu);
	void *b = NULL;
	if (a->tail != a->head) {
		b = a->b[a->head % a->n];
		a->taken = 1;
	}
	pthread_mutex_unlock(&a->mu);
	return b;
}

void
cx_ahead_free(struct cx_ahead *a)
{
	if (!a)
		return;
	if (a->threaded) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->th, NULL);
		pthread_cond_destroy(&a->cv);
		pthread_mutex_destroy(&a->mu);
	}
	cx_free(a->b);
	cx_free(a);
}
